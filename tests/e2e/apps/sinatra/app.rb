require "sinatra/base"

# A small notes service: notes live in the app's own folder (tmp/notes.txt), which its user owns.
class Notes < Sinatra::Base
  NOTES = File.join(__dir__, "tmp", "notes.txt")

  get "/" do
    content_type "text/plain"
    "notes service: #{File.exist?(NOTES) ? File.readlines(NOTES).size : 0} notes\n"
  end

  post "/notes" do
    Dir.mkdir(File.dirname(NOTES)) unless Dir.exist?(File.dirname(NOTES))
    File.open(NOTES, "a") { |f| f.puts(request.body.read) }
    "saved\n"
  end
end
