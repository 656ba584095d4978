import helper
print('ok', helper.NAME)
