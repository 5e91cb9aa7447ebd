#!/usr/bin/env node
// A recording stand-in for powershell.exe, put on PATH by the register tests. It decodes the
// -EncodedCommand script, reads its parameter block, records the call (the script, its
// parameters and the files on the nodes' shares at that moment) in FAKE_PS_LOG, and answers:
// - cluster scripts (query, add, remove) from the scenario file FAKE_PS_SCENARIO;
// - node scripts from the share folders themselves: node.exe's version is the text of the file
//   (a stand-in node.exe holds e.g. "22.11.0"), and ACLs come from a model in FAKE_PS_ACL
//   ({ "<path>": { owner, ownerTrusted, writers } }; a path without an entry takes the writers of
//   its nearest ancestor with one, as NTFS inheritance would, and is owned by Administrators).
// Errors are written as powershell.exe writes them on a redirected stderr: CLIXML, one <S
// S="Error"> per line of the formatted error record, after the progress record that loading
// FailoverClusters emits (PowerShell/PowerShell#5912).
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const args = process.argv.slice(2);
const script = Buffer.from(args[args.indexOf('-EncodedCommand') + 1], 'base64').toString('utf16le');

/** The `$Name = value` lines before the first blank line (literal, base64 form, array, $null...). */
function parameters(text) {
  const out = {};
  const value = (v) => {
    const b64 = /^\[Text\.Encoding\]::UTF8\.GetString\(\[Convert\]::FromBase64String\('([A-Za-z0-9+/=]*)'\)\)/.exec(v);
    if (b64) return [Buffer.from(b64[1], 'base64').toString('utf8'), v.slice(b64[0].length)];
    if (v.startsWith("'")) {
      let s = '';
      let i = 1;
      for (;;) {
        if (v[i] === "'" && v[i + 1] === "'") { s += "'"; i += 2; continue; }
        if (v[i] === "'") return [s, v.slice(i + 1)];
        s += v[i++];
      }
    }
    const word = /^(\$null|\$true|\$false|\d+)/.exec(v);
    return [{ $null: null, $true: true, $false: false }[word[1]] ?? Number(word[1]), v.slice(word[1].length)];
  };
  let rest = text.replace(/^(#.*\n)*/, '');
  while (rest.startsWith('$')) {
    const name = /^\$(\w+) = /.exec(rest);
    rest = rest.slice(name[0].length);
    if (rest.startsWith('@(')) {
      const items = [];
      rest = rest.slice(2);
      while (!rest.startsWith(')')) {
        const [v, after] = value(rest);
        items.push(v);
        rest = after.replace(/^, /, '');
      }
      out[name[1]] = items;
      rest = rest.slice(1);
    } else {
      const [v, after] = value(rest);
      out[name[1]] = v;
      rest = after;
    }
    rest = rest.replace(/^\n/, '');
  }
  return out;
}

const params = parameters(script);
const kind = script.includes('Remove-ClusterResourceType') ? 'remove'
  : script.includes('Add-ClusterResourceType') ? 'add'
  : script.includes('Set-Acl') ? 'lock'
  : script.includes('GetVersionInfo') ? 'preflight'
  : script.includes('Get-Acl') ? 'access'
  : 'query';

const files = [];
const walk = (d, rel) => {
  for (const n of existsSync(d) ? readdirSync(d).sort() : []) {
    const p = join(d, n);
    if (statSync(p).isDirectory()) walk(p, `${rel}${n}/`);
    else files.push(rel + n);
  }
};
walk(process.env.WSFC_RESOURCE_SHARE_ROOT, '');
appendFileSync(process.env.FAKE_PS_LOG, `${JSON.stringify({ kind, args: args.slice(0, 5), script, params, files })}\n`);

// --- CLIXML, as Windows PowerShell 5.1's ConsoleHost writes it ---
const xml = (s) => s.replace(/_(?=x[0-9A-Fa-f]{4}_)/g, '_x005F_').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  .replace(/[\u0000-\u001f]/g, (c) => `_x${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}_`);
const PROGRESS = '<Obj S="progress" RefId="0"><TN RefId="0"><T>System.Management.Automation.PSCustomObject</T><T>System.Object</T></TN><MS><I64 N="SourceId">1</I64><PR N="Record"><AV>Preparing modules for first use.</AV><AI>0</AI><Nil /><PI>-1</PI><PC>-1</PC><T>Completed</T><SR>-1</SR><SD> </SD></PR></MS></Obj>';
/** A terminating error as the error view formats it: message, position, category. */
function fail(message, { cmdlet, category = 'NotSpecified', exception = 'RuntimeException', exitCode = 1 } = {}) {
  const statement = cmdlet ? `${cmdlet} -Name $TypeName` : `throw ('${message.slice(0, 20)}...')`;
  const lines = [
    cmdlet ? `${cmdlet} : ${message}` : message,
    'At line:12 char:3',
    `+   ${statement}`,
    `+   ${'~'.repeat(statement.length)}`,
    `    + CategoryInfo          : ${category}: (:) [${cmdlet ?? ''}], ${exception}`,
    `    + FullyQualifiedErrorId : ${cmdlet ? `${cmdlet},Microsoft.FailoverClusters.PowerShell.${cmdlet.replace('-', '')}Command` : message}`,
    ' ',
  ];
  const objs = lines.map((l) => `<S S="Error">${xml(`${l}\r\n`)}</S>`).join('');
  process.stderr.write(`#< CLIXML\r\n<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">${PROGRESS}${objs}</Objs>`);
  process.exit(exitCode);
}
const answer = (result) => {
  process.stdout.write(`noise from a cmdlet\r\nWSFC-RESULT ${JSON.stringify(result)}\r\n`);
  process.exit(0);
};

// --- the ACL model ---
const aclFile = process.env.FAKE_PS_ACL;
const acls = aclFile && existsSync(aclFile) ? JSON.parse(readFileSync(aclFile, 'utf8')) : {};
const ADMINS = { owner: 'BUILTIN\\Administrators', ownerTrusted: true, writers: [] };
function access(path) {
  if (!existsSync(path)) return null;
  const own = acls[path];
  let writers = own?.writers;
  for (let d = dirname(path); writers === undefined && d !== dirname(d); d = dirname(d)) writers = acls[d]?.writers;
  return { owner: own?.owner ?? ADMINS.owner, ownerTrusted: own?.ownerTrusted ?? true, writers: writers ?? [] };
}

const scenario = JSON.parse(readFileSync(process.env.FAKE_PS_SCENARIO, 'utf8'));
const planned = scenario[kind] ?? {};
if (planned.error) fail(planned.error.message, planned.error);
if (planned.exitCode) {
  if (planned.stderr) process.stderr.write(planned.stderr); // what a script writes itself with [Console]::Error
  process.exit(planned.exitCode);
}

if (kind === 'preflight') {
  answer({
    nodes: params.Nodes.map((node, i) => {
      const exe = params.NodeExes[i];
      const nodeVersion = existsSync(exe) && statSync(exe).isFile() ? readFileSync(exe, 'utf8').trim() : null;
      const dir = params.InstallDirs[i];
      const foreign = existsSync(dir) && statSync(dir).isDirectory() ? readdirSync(dir).filter((n) => !new RegExp(params.Ours).test(n)).slice(0, 5) : [];
      return { node, nodeVersion, installDir: access(dir), foreign };
    }),
  });
} else if (kind === 'lock') {
  for (const dir of params.LockDirs) {
    mkdirSync(dir, { recursive: true });
    const before = access(dir);
    if (!before.ownerTrusted && !params.TakeOwnership) {
      fail(`${dir} is owned by ${before.owner}, not Administrators or SYSTEM; check who put it there, then re-run with --take-ownership`);
    }
    for (const path of Object.keys(acls)) if (path.startsWith(`${dir}/`)) delete acls[path];
    acls[dir] = ADMINS;
  }
  if (aclFile) writeFileSync(aclFile, JSON.stringify(acls, null, 2));
  // A node that goes away right after: a file where its folder was, so the copy there fails.
  for (const path of planned.breakAfter ?? []) {
    rmSync(path, { recursive: true, force: true });
    writeFileSync(path, 'gone');
  }
  answer({ locked: params.LockDirs.length });
} else if (kind === 'access') {
  answer({ paths: params.Paths.map((path) => ({ path, access: access(path) })) });
} else {
  answer(planned.result);
}
