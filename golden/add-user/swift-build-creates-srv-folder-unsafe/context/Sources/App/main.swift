import Foundation
try! FileManager.default.createDirectory(atPath: "/srv/app", withIntermediateDirectories: true)
