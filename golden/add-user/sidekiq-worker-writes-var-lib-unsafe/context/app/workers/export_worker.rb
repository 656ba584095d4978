class ExportWorker
  include Sidekiq::Worker

  def perform(id)
    File.write("/var/lib/exports/#{id}.csv", "")
  end
end
