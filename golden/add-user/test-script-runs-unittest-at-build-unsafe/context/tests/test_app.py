import sys, unittest
sys.path.insert(0, '.')
import app
class T(unittest.TestCase):
    def test_ok(self):
        self.assertTrue(True)
