import six, mymod
print('ok', six.__version__, mymod.NAME)
