// The service the ExampleHttpService resource type keeps online: a small static file server.
//
//   node server.mjs --port 8080 --root /srv/site [--host 127.0.0.1] [--tag blue --tag edge] [--watch-stdin]
//
// GET /health answers 200 "ok"; every other GET/HEAD is a file under --root (a directory serves
// its index.html). stdout carries one line once the server listens; problems go to stderr. The
// resource forwards both to the cluster log, so keep them short and meaningful.
//
// Exit codes: 0 stopped on request, 2 bad arguments, 3 could not listen (e.g. port in use).
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
};

function usage(message) {
  process.stderr.write(`server.mjs: ${message}\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { host: '127.0.0.1', port: NaN, root: '', tags: [], watchStdin: false };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === '--watch-stdin') {
      opts.watchStdin = true;
      i--;
      continue;
    }
    if (value === undefined) usage(`${flag} needs a value`);
    if (flag === '--port') opts.port = Number(value);
    else if (flag === '--root') opts.root = resolve(value);
    else if (flag === '--host') opts.host = value;
    else if (flag === '--tag') opts.tags.push(value);
    else usage(`unknown argument ${flag}`);
  }
  if (!Number.isInteger(opts.port) || opts.port < 1 || opts.port > 65535) usage('--port must be 1..65535');
  if (!opts.root) usage('--root is required');
  return opts;
}

const opts = parseArgs(process.argv.slice(2));
const rootStat = await stat(opts.root).catch(() => undefined);
if (!rootStat?.isDirectory()) usage(`--root ${opts.root} is not a directory`);

/** The file a request path maps to, or undefined when it would leave the root. */
function fileFor(pathname) {
  let decoded;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  // resolve() collapses '..', so checking the prefix afterwards catches every escape attempt,
  // including encoded ones ('%2e%2e') that the decoding above turned into real dots.
  const file = resolve(opts.root, `.${decoded}`);
  return file === opts.root || file.startsWith(opts.root.endsWith(sep) ? opts.root : opts.root + sep) ? file : undefined;
}

function send(res, status, body, headers = {}) {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body), ...headers });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

const server = createServer(async (req, res) => {
  if (opts.tags.length) res.setHeader('x-service-tags', opts.tags.join(', '));
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed\n', { allow: 'GET, HEAD' });
  const { pathname } = new URL(req.url ?? '/', 'http://localhost');
  if (pathname === '/health') return send(res, 200, 'ok');

  let file = fileFor(pathname);
  if (!file) return send(res, 403, 'forbidden\n');
  try {
    let st = await stat(file);
    if (st.isDirectory()) {
      file = join(file, 'index.html');
      st = await stat(file);
    }
    if (!st.isFile()) return send(res, 404, 'not found\n');
    res.writeHead(200, {
      'content-type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'content-length': st.size,
      'last-modified': st.mtime.toUTCString(),
    });
    if (req.method === 'HEAD') return res.end();
    createReadStream(file)
      .on('error', (err) => {
        process.stderr.write(`read ${file}: ${err.message}\n`);
        res.destroy();
      })
      .pipe(res);
  } catch (err) {
    if (err && (err.code === 'ENOENT' || err.code === 'ENOTDIR')) return send(res, 404, 'not found\n');
    process.stderr.write(`${req.method} ${pathname}: ${err?.message ?? err}\n`);
    if (!res.headersSent) send(res, 500, 'internal error\n');
    else res.destroy();
  }
});

server.on('error', (err) => {
  process.stderr.write(`cannot listen on ${opts.host}:${opts.port}: ${err.code ?? ''} ${err.message}\n`);
  process.exit(3);
});

let stopping = false;
function stop(why) {
  if (stopping) return;
  stopping = true;
  process.stdout.write(`stopping (${why})\n`);
  server.close(() => process.exit(0));
  // Keep-alive connections would hold close() open until they time out.
  server.closeAllConnections();
}

// On POSIX, SIGTERM is the resource's polite stop request. On Windows Node cannot receive
// SIGTERM (child.kill() there is TerminateProcess), so the resource closes our stdin instead.
// EOF on stdin also means the parent host died: exiting then keeps an orphaned server from
// holding the port after the cluster has moved the resource elsewhere. Opt-in, because a server
// started by hand with stdin at /dev/null would otherwise stop at once.
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
if (opts.watchStdin) {
  process.stdin.on('end', () => stop('stdin closed'));
  process.stdin.on('error', () => stop('stdin error'));
  process.stdin.resume();
}

// Lets tests (and demos) simulate a service that takes a while to come up.
const startDelay = Number(process.env.HTTP_SERVICE_START_DELAY_MS ?? 0);
if (startDelay > 0) await new Promise((r) => setTimeout(r, startDelay));

if (!stopping) {
  server.listen(opts.port, opts.host, () => {
    process.stdout.write(`listening on http://${opts.host}:${opts.port}/ serving ${opts.root}\n`);
  });
}
