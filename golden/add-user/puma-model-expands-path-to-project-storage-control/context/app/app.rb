require "fileutils"

class App
  def call(env)
    case env["PATH_INFO"]
    when "/write" then [200, {"content-type" => "text/plain"}, [write]]
    else [200, {"content-type" => "text/plain"}, ["up\n"]]
    end
  rescue SystemCallError, IOError => e
    [500, {"content-type" => "text/plain"}, ["error: #{e.class}: #{e.message}\n"]]
  end

  def write
    Store.save("hello")
  end
end
