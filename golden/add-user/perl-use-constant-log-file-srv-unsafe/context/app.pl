use strict;
use constant LOG => '/srv/app.log';
open(my $fh, '>>', LOG) or do { print "error: $!\n"; exit 1 };
print $fh "x\n";
close($fh);
print "appended\n";
