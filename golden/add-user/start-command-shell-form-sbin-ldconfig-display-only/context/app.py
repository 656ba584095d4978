import six
print('ok', six.__version__)
