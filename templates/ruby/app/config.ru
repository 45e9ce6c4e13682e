# The fixture app of the {{name}} buildpack: `./ci.sh` stages it and checks that `/` answers.
run ->(_env) { [200, { "content-type" => "text/plain" }, ["Hello from the {{name}} buildpack\n"]] }
