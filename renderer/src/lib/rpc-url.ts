/**
 * ws://host/rpc on the host that served the page. No credential in it: the browser host admits the
 * socket by the session cookie its launch address set, which the browser sends by itself.
 */
export function rpcUrl(pageHref: string): string {
  const page = new URL(pageHref);
  const scheme = page.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${page.host}/rpc`;
}
