import importlib
importlib.import_module('.log', 'pkg')
print('started')
