class Store
  DIR = "/var/lib/store"

  def self.init
    FileUtils.mkdir_p(DIR)
  end
end
