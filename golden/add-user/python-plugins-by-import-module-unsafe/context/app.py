import pkgutil, importlib, plugins
for m in pkgutil.iter_modules(plugins.__path__):
    importlib.import_module('plugins.' + m.name)
print('started')
