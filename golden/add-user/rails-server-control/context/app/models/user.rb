class User < ApplicationRecord
  def export
    File.write("tmp/users.csv", to_csv)
  end
end
