"""Set-up of an installation: the seed data every installation needs (`load_seeds`) and the demo accounts of a
development machine (`load_demo`). It sits above every app it loads, so no domain app imports another's loader."""
