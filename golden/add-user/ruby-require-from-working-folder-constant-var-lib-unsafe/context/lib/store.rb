require "fileutils"

module Store
  DIR = "/var/lib/notes"

  def self.save(text)
    FileUtils.mkdir_p(DIR)
    File.write(File.join(DIR, "note.txt"), text)
    "ok saved\n"
  end
end
