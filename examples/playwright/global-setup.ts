import { buildConsole } from 'keyward/testing';

export default function globalSetup(): void {
  buildConsole();
}
