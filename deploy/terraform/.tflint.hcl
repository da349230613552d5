# TFLint configuration for every module under deploy/terraform (modules/, envs/, bootstrap/).
# deploy/test/terraform.test.ts runs `tflint --recursive --config <this file>` from here with
# .cache/tools/bin/tflint (deploy/tools/install.sh). Only TFLint's bundled Terraform ruleset is used:
# the AWS ruleset plugin is not on the Go module proxy this project installs from, and nothing is
# downloaded at lint time (no `tflint --init`).

config {
  # Module calls to local paths (../../modules/x) are followed and their inputs checked;
  # registry and git sources are not fetched.
  call_module_type = "local"
}

# The recommended preset: deprecated syntax, duplicate map keys, pinned module sources and versions,
# required_version and required_providers with versions, typed variables, unused declarations.
plugin "terraform" {
  enabled = true
  preset  = "recommended"
}

# Beyond the preset: names in snake_case, every variable and output described.
rule "terraform_naming_convention" {
  enabled = true
}

rule "terraform_documented_variables" {
  enabled = true
}

rule "terraform_documented_outputs" {
  enabled = true
}

rule "terraform_comment_syntax" {
  enabled = true
}

rule "terraform_unused_required_providers" {
  enabled = true
}
