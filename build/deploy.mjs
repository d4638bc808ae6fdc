// `npm run deploy`: updates the one existing web app deployment in place, so that answer links
// already mailed keep working (a new deployment would get a new /exec URL).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const file = '.deployment.json';
if (!existsSync(file)) {
  console.error(`${file} is missing. Deploy the answer page once with
  npx clasp create-deployment -d "answer page"
then save its deployment ID as {"deploymentId": "AKfy..."} in ${file} (see README, "Deploying").`);
  process.exit(2);
}
const { deploymentId } = JSON.parse(readFileSync(file, 'utf8'));
if (!/^AKfy[\w-]+$/.test(deploymentId ?? '')) {
  console.error(`${file}: deploymentId looks wrong: ${deploymentId}`);
  process.exit(2);
}
const description = `answer page ${new Date().toISOString()}`;
execFileSync('npx', ['clasp', 'update-deployment', deploymentId, '-d', description], { stdio: 'inherit' });
