class AppTest { String dir = "/var/lib/test"; }
