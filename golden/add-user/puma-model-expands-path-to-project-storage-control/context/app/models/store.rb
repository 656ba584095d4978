class Store
  DIR = File.expand_path("../../storage", __dir__)

  def self.save(text)
    FileUtils.mkdir_p(DIR)
    File.write(File.join(DIR, "last.txt"), text)
    "ok wrote #{DIR}/last.txt\n"
  end
end
