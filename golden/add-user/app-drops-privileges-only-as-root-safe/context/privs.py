import os, pwd
def drop(user='nobody'):
    if os.getuid() != 0:
        return
    os.setgroups([])
    os.setuid(pwd.getpwnam(user).pw_uid)
