import os, pwd
pw = pwd.getpwnam('nobody')
os.setgroups([])
os.setgid(pw.pw_gid)
os.setuid(pw.pw_uid)
