module.exports = { output: { path: __dirname + "/static/bundle" } };
