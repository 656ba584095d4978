port ENV.fetch("PORT") { 9292 }
