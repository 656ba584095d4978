import importlib
importlib.import_module('logsetup')
print('started')
