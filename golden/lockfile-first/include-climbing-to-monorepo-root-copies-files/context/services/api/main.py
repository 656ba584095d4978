import six
print('started', six.__version__)
