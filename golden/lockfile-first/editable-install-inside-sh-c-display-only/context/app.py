import myapp, six
print('started', six.__version__)
