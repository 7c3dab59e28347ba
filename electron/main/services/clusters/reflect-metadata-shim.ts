/**
 * @peculiar/x509 resolves its providers through tsyringe, which demands the Reflect metadata API
 * at load time. The `reflect-metadata` package is not a dependency yet; this installs the three
 * calls tsyringe makes (define, get, get-own) only where nothing provides them. Import it before
 * @peculiar/x509. Replace with `import 'reflect-metadata'` once that package is installed.
 */
type MetadataTarget = object;

interface ReflectMetadataApi {
  defineMetadata(key: unknown, value: unknown, target: MetadataTarget, property?: string | symbol): void;
  getOwnMetadata(key: unknown, target: MetadataTarget, property?: string | symbol): unknown;
  getMetadata(key: unknown, target: MetadataTarget, property?: string | symbol): unknown;
}

const reflect = Reflect as typeof Reflect & Partial<ReflectMetadataApi>;

if (typeof reflect.getMetadata !== 'function') {
  const store = new WeakMap<MetadataTarget, Map<string | symbol | undefined, Map<unknown, unknown>>>();
  const own = (key: unknown, target: MetadataTarget, property?: string | symbol): unknown => store.get(target)?.get(property)?.get(key);
  const api: ReflectMetadataApi = {
    defineMetadata(key, value, target, property) {
      let byProperty = store.get(target);
      if (!byProperty) store.set(target, (byProperty = new Map()));
      let values = byProperty.get(property);
      if (!values) byProperty.set(property, (values = new Map()));
      values.set(key, value);
    },
    getOwnMetadata: own,
    getMetadata(key, target, property) {
      for (let current: MetadataTarget | null = target; current; current = Object.getPrototypeOf(current) as MetadataTarget | null) {
        const value = own(key, current, property);
        if (value !== undefined) return value;
      }
      return undefined;
    },
  };
  Object.assign(Reflect, api);
}

export {};
