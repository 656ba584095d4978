class App
  def call(env)
    File.write("/tmp/last-request", env["PATH_INFO"])
    [200, {}, ["ok"]]
  end
end
