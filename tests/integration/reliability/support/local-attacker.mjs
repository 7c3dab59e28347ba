// R9: a local attacker against the browser host, run as another user (nobody) where the machine
// allows, else as the officer's own user. Plain Node, no dependencies: it is copied to a directory
// that user can read. It knows only what any local user can learn: the printed address (terminal,
// logs), every readable /proc/*/cmdline and environ, and - for the replay check, on stdin - a launch
// address that leaked after its use. It harvests every secret-looking string and tries each one as a nonce,
// a session cookie and an old-style `?token=`, with a forged Origin. Prints one JSON report.
import { readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';

const [printedAddress, urlFile, launchDir] = process.argv.slice(2);
// On stdin, not argv: our own command line is part of what we harvest.
const leakedLaunchUrl = readFileSync(0, 'utf8').trim();
const printed = new URL(printedAddress);
const origin = printed.origin;

function harvest() {
  let readable = 0;
  const texts = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid)) {
    for (const file of ['cmdline', 'environ']) {
      try {
        texts.push(readFileSync(`/proc/${pid}/${file}`).toString('latin1').replaceAll('\0', ' '));
        readable += 1;
      } catch {
        // another user's environ, or a process that just ended
      }
    }
  }
  const text = `${texts.join('\n')}\n${printedAddress}`;
  const candidates = [...new Set(text.match(/[A-Za-z0-9_-]{32,}/g) ?? [])];
  const mentions = (text.match(/(nonce|token|keyward_session)=[^\s&;]*/g) ?? []).length;
  return { readable, candidates, mentions };
}

/** A WebSocket upgrade by hand; resolves with the HTTP status (101 means a socket was granted). */
function upgrade(path, headers = {}) {
  return new Promise((resolve) => {
    const req = request(`${origin}${path}`, {
      headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', Origin: origin, ...headers },
    });
    req.on('upgrade', (_res, socket) => {
      socket.destroy();
      resolve(101);
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
    req.end();
  });
}

function get(url) {
  return new Promise((resolve) => {
    request(url, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, setsCookie: Boolean(res.headers['set-cookie']) });
    })
      .on('error', () => resolve({ status: 0, setsCookie: false }))
      .end();
  });
}

function readError(path) {
  try {
    readFileSync(path);
    return 'readable';
  } catch (error) {
    return error.code;
  }
}

function listError(path) {
  try {
    readdirSync(path);
    return 'readable';
  } catch (error) {
    return error.code;
  }
}

const { readable, candidates, mentions } = harvest();
const attempts = [];
const record = (what, status) => attempts.push({ what, status });

record('socket, no cookie, forged Origin', await upgrade('/rpc'));
record('socket with the printed address query', await upgrade(`/rpc${printed.search}`));
for (const candidate of candidates.slice(0, 400)) {
  record('socket with a harvested ?token=', await upgrade(`/rpc?token=${candidate}`));
  record('socket with a harvested cookie', await upgrade('/rpc', { Cookie: `keyward_session=${candidate}` }));
  const session = await get(`${origin}/session?nonce=${candidate}`);
  record(`harvested nonce${session.setsCookie ? ' (cookie set)' : ''}`, session.status);
}
const replay = await get(leakedLaunchUrl);
record(`replayed launch address${replay.setsCookie ? ' (cookie set)' : ''}`, replay.status);

process.stdout.write(
  `${JSON.stringify({
    uid: process.getuid(),
    readableProcFiles: readable,
    candidates: candidates.length,
    candidateList: candidates,
    secretMentions: mentions,
    urlFile: readError(urlFile),
    launchDir: listError(launchDir),
    attempts,
  })}\n`,
);
