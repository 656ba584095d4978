print('collected')
