from d2c.cli import app

app(prog_name="d2c")
