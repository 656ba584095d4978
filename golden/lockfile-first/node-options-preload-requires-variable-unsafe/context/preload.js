const p = './lib/env';
require(p);
