import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { isAppError } from '../../src/lib/errors';
import { launchdPlist } from '../../src/service/launchd';
import type { PlanInputs } from '../../src/service/plan';
import { installedDataDir, serviceConfigText, serviceTarget, type MachineFacts } from '../../src/service/platforms';
import { systemdUnit } from '../../src/service/systemd';
import { winswXml } from '../../src/service/winsw';

const target = suite('service.serviceTarget');

const linux: MachineFacts = { host: 'linux', cwd: '/home/ann', env: {}, packagedExecutable: undefined };
const dry = { dryRun: true, needsExecutable: true };

target('each platform has its default data directory; Windows takes %ProgramData%', () => {
  assert.is(serviceTarget({ platform: 'linux' }, linux, dry).dataDir, '/var/lib/xero-proxy');
  assert.is(serviceTarget({ platform: 'macos' }, linux, dry).dataDir, '/Library/Application Support/Xero Comms Proxy');
  assert.is(serviceTarget({ platform: 'windows' }, linux, dry).dataDir, 'C:\\ProgramData\\Xero Comms Proxy');
  assert.is(serviceTarget({ platform: 'windows' }, { ...linux, env: { ProgramData: 'D:\\PD' } }, dry).dataDir, 'D:\\PD\\Xero Comms Proxy');
});

target('the packaged executable is the default on its own platform; from the sources a real install needs --executable', () => {
  const packaged = { ...linux, packagedExecutable: '/usr/local/bin/xero-proxy-linux-x64' };
  assert.equal(serviceTarget({ platform: 'linux' }, packaged, { dryRun: false, needsExecutable: true }), {
    executable: '/usr/local/bin/xero-proxy-linux-x64',
    executableFrom: 'packaged',
    dataDir: '/var/lib/xero-proxy',
    user: undefined,
  });
  assert.is(serviceTarget({ platform: 'windows' }, packaged, dry).executableFrom, 'stand-in', "Linux's executable is not Windows'");
  try {
    serviceTarget({ platform: 'linux' }, linux, { dryRun: false, needsExecutable: true });
    assert.unreachable('refused');
  } catch (error) {
    assert.ok(isAppError(error, 'invalid'));
    assert.is((error as Error).message, 'This is Node.js running the sources, not the packaged executable, so there is no executable for the service to run.');
  }
  assert.is(serviceTarget({ platform: 'linux' }, linux, { dryRun: false, needsExecutable: false }).executableFrom, 'stand-in', 'uninstalling on Linux does not run it');
});

target('paths are normalised in the platform\'s syntax, relative ones resolved only on that platform', () => {
  assert.is(serviceTarget({ platform: 'linux', dataDir: 'shop/data/', executable: './xp' }, linux, dry).dataDir, '/home/ann/shop/data');
  assert.is(serviceTarget({ platform: 'windows', dataDir: 'D:/Shop//Data\\' }, linux, dry).dataDir, 'D:\\Shop\\Data');
  assert.is(serviceTarget({ platform: 'windows', dataDir: '\\\\server\\share\\xp' }, linux, dry).dataDir, '\\\\server\\share\\xp');
  for (const dataDir of ['\\no-drive', 'relative']) {
    try {
      serviceTarget({ platform: 'windows', dataDir }, linux, dry);
      assert.unreachable(dataDir);
    } catch (error) {
      assert.ok(isAppError(error, 'invalid'), String(error));
    }
  }
});

target('names and paths the definitions cannot carry are refused', () => {
  const refused = (request: Parameters<typeof serviceTarget>[0]): string => {
    try {
      serviceTarget(request, linux, dry);
    } catch (error) {
      assert.ok(isAppError(error, 'invalid'), String(error));
      return (error as Error).message;
    }
    throw new Error(`not refused: ${JSON.stringify(request)}`);
  };
  assert.match(refused({ platform: 'linux', user: 'root; rm -rf /' }), 'is not an account name');
  assert.match(refused({ platform: 'windows', dataDir: 'C:\\%TEMP%\\xp' }), 'holds % or "');
  assert.match(refused({ platform: 'macos', dataDir: '/tmp/a\nb' }), 'holds a control character');
});

const readBack = suite('service.installedDataDir');

const inputs = (dataDir: string, executable: string): PlanInputs => ({ dataDir, executable, configText: serviceConfigText(dataDir), port: 8080, shutdownGraceSeconds: 10 });

readBack('reads the data directory back from each definition install writes, escapes and all', () => {
  assert.is(installedDataDir('linux', systemdUnit(inputs('/srv/xero-proxy', '/usr/local/bin/xero-proxy'))), '/srv/xero-proxy');
  assert.is(installedDataDir('windows', winswXml(inputs('D:\\Tom & Jerry\\XP', 'D:\\Apps\\xero-proxy-win-x64.exe'))), 'D:\\Tom & Jerry\\XP');
  assert.is(installedDataDir('macos', launchdPlist(inputs('/Users/Shared/A & B <XP>', '/usr/local/bin/xero-proxy'))), '/Users/Shared/A & B <XP>');
  assert.is(installedDataDir('linux', '[Service]\nExecStart=/bin/true\n'), undefined);
});

target.run();
readBack.run();
