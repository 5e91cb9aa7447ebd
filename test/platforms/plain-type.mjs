// A compiled resource module as a user ships it: imports the installed package by name.
import { defineResourceType, prop } from 'wsfc-resource';

export default defineResourceType({
  name: 'PlainType',
  properties: { Port: prop.dword({ default: 8080, min: 1, max: 65535 }) },
  open(res) {
    let up = false;
    return {
      async online({ progress, log }) {
        progress();
        up = true;
        log.info(`serving on ${res.properties.Port}`);
      },
      async offline() {
        up = false;
      },
      looksAlive: () => up,
      isAlive: async () => up,
    };
  },
});
