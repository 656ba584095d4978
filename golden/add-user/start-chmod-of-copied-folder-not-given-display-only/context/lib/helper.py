NAME = 'helper'
