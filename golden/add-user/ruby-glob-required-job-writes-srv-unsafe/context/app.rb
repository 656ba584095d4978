require "sinatra"
require "fileutils"

Dir[File.join(__dir__, "app", "**", "*.rb")].sort.each { |f| require f }

set :bind, "0.0.0.0"
set :port, 4567
set :show_exceptions, false

get "/write" do
  Export.run
end

error SystemCallError do
  status 500
  "error: #{env["sinatra.error"].class}: #{env["sinatra.error"].message}\n"
end
