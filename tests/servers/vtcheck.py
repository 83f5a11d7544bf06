#!/usr/bin/env python3
"""Moved to tests/hostile/vtcheck.py (one copy); this stub keeps old callers working."""
import os
import runpy
import sys

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "hostile", "vtcheck.py")
sys.argv[0] = HERE
runpy.run_path(HERE, run_name="__main__")
