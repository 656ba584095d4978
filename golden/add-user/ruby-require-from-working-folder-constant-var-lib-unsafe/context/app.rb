require "sinatra"
require "./lib/store"

set :bind, "0.0.0.0"
set :port, 4567
set :show_exceptions, false

get "/write" do
  Store.save("hello")
end

error SystemCallError do
  status 500
  "error: #{env["sinatra.error"].class}: #{env["sinatra.error"].message}\n"
end
