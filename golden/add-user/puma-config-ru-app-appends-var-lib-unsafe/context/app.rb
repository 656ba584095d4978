class App
  def call(env)
    File.open("/var/lib/app/hits", "a") { |f| f.puts(Time.now) }
    [200, {}, ["ok"]]
  end
end
