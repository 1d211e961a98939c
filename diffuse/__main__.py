from diffuse.cli import run

run()
