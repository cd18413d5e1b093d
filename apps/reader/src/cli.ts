import { parseArgs } from 'node:util';
import { ConfigError, Gatehouse, GatehouseError, loadConfig, openStores } from '@gatehouse/core';

const USAGE = `Usage: npm run gatehouse -- <command>

  keys rotate                                   a new signing key signs from now on
  keys list                                     the public keys being published
  service-clients create --name N --audience A [--audience B] [--scope S]
                                                register a service; prints its secret once
  service-clients list
  service-clients revoke <client-id>

Reads the same environment as the server (DATABASE_URL, GATEHOUSE_SECRET, …). A running
server signs with the new key after its next sweep (within ten minutes) and verifies it at once.`;

/** Operator commands for what has no HTTP route on purpose: keys and service clients. */
async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      audience: { type: 'string', multiple: true },
      scope: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [group, command, argument] = positionals;
  if (values.help === true || group === undefined) {
    console.log(USAGE);
    return group === undefined && values.help !== true ? 1 : 0;
  }

  const config = loadConfig();
  const stores = await openStores(config);
  const gatehouse = new Gatehouse({ config, stores });
  try {
    if (group === 'keys' && command === 'rotate') {
      console.log(`signing with ${await gatehouse.rotateSigningKey()}`);
    } else if (group === 'keys' && command === 'list') {
      console.log(JSON.stringify(await gatehouse.jwks(), null, 2));
    } else if (group === 'service-clients' && command === 'create') {
      const { client, clientSecret } = await gatehouse.serviceClients.register({
        name: values.name ?? '',
        audiences: values.audience ?? [],
        scopes: values.scope ?? [],
      });
      console.log(JSON.stringify({ ...client, clientSecret }, null, 2));
      console.error('Store the secret now: it is not shown again.');
    } else if (group === 'service-clients' && command === 'list') {
      console.log(JSON.stringify(await gatehouse.serviceClients.list(), null, 2));
    } else if (group === 'service-clients' && command === 'revoke' && argument !== undefined) {
      if (!(await gatehouse.serviceClients.revoke(argument))) {
        console.error(`No live service client ${argument}.`);
        return 1;
      }
      console.log(`revoked ${argument}`);
    } else {
      console.error(USAGE);
      return 1;
    }
    return 0;
  } finally {
    await gatehouse.close();
    await stores.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof GatehouseError) console.error(error.detail);
    else if (error instanceof ConfigError) console.error(error.message);
    else console.error('gatehouse:', error);
    process.exitCode = 1;
  },
);
