class App
  LOG = Logger.new("/var/log/app.log")
end
