process.env.APP_PRELOADED = '1';
