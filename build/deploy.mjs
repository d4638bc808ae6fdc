// `npm run deploy`: updates the one existing web app deployment in place, so that answer links
// already mailed keep working (a new deployment would get a new /exec URL).
// `npm run deploy:addon`: the same for the Editor add-on's standalone project (.clasp.addon.json,
// .deployment.addon.json), from one new version whose number it prints: that number goes into
// the Marketplace SDK's App Configuration, so the add-on and its answer page run the same code
// (docs/addon-mode.md W4, M5).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const addon = process.argv.includes('--mode=addon') || process.argv.join(' ').includes('--mode addon');
const file = addon ? '.deployment.addon.json' : '.deployment.json';
const project = addon ? ['-P', '.clasp.addon.json'] : [];
if (!existsSync(file)) {
  console.error(`${file} is missing. Deploy the answer page once with
  npx clasp ${project.join(' ')} create-deployment -d "answer page"
then save its deployment ID as {"deploymentId": "AKfy..."} in ${file} (see README, "Deploying").`);
  process.exit(2);
}
const { deploymentId } = JSON.parse(readFileSync(file, 'utf8'));
if (!/^AKfy[\w-]+$/.test(deploymentId ?? '')) {
  console.error(`${file}: deploymentId looks wrong: ${deploymentId}`);
  process.exit(2);
}
const description = `answer page ${new Date().toISOString()}`;
if (!addon) {
  execFileSync('npx', ['clasp', 'update-deployment', deploymentId, '-d', description], { stdio: 'inherit' });
} else {
  const out = execFileSync('npx', ['clasp', ...project, '--json', 'create-version', description], {
    encoding: 'utf8',
  });
  const { versionNumber } = JSON.parse(out);
  execFileSync(
    'npx',
    ['clasp', ...project, 'update-deployment', deploymentId, '-V', String(versionNumber), '-d', description],
    { stdio: 'inherit' },
  );
  console.log(`Version ${versionNumber}: the answer page runs it now. Enter ${versionNumber} as the Sheets add-on script version in
the Marketplace SDK's App Configuration and save, so the add-on runs the same version.`);
}
