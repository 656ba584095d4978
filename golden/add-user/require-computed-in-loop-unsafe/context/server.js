const mods = ['log'];
for (const m of mods) require('./' + m);
console.log('started');
