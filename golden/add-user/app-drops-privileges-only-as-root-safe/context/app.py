import privs
privs.drop()
print('ok')
