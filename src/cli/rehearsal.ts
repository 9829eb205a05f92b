/*
 * The help examples that rehearse on the example farm. `--farm example` is the farm shipped in the package
 * (host-run.ts EXAMPLE_FARM), and its hosts are named, so each works as printed from any folder after
 * `npm install session-logoff`: test/package/pack.test.ts runs every help example that has `--farm`.
 */

/** The example farm's session hosts (examples/servers.txt). */
const EXAMPLE_HOSTS = '-s rdsh01 -s rdsh02 -s rdsh03 -s rdsh04';

export const REHEARSE_LIST = `$0 list --farm example ${EXAMPLE_HOSTS}`;
export const REHEARSE_DRAIN = `$0 drain --farm example ${EXAMPLE_HOSTS} --grace 5s --yes`;
