output "state_bucket" {
  description = "Name of the state bucket: bucket in envs/<env>/backend.tf."
  value       = aws_s3_bucket.state.id
}

output "state_kms_key_arn" {
  description = "KMS key of the state bucket: kms_key_id in envs/<env>/backend.tf."
  value       = aws_kms_key.state.arn
}

output "log_bucket" {
  description = "Name of the bucket with the state bucket's access logs."
  value       = aws_s3_bucket.logs.id
}

output "backend_config" {
  description = "The backend block for an environment (copy into envs/<env>/backend.tf, with its own key)."
  value       = <<-HCL
    terraform {
      backend "s3" {
        bucket       = "${aws_s3_bucket.state.id}"
        key          = "envs/prod/terraform.tfstate"
        region       = "${var.region}"
        encrypt      = true
        kms_key_id   = "${aws_kms_key.state.arn}"
        use_lockfile = true
      }
    }
  HCL
}
