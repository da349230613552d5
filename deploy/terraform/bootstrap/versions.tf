terraform {
  # The state of this configuration stays local (terraform.tfstate beside it): it creates the bucket
  # every other state lives in. Keep that file safe (it holds no secret), or move it into the bucket
  # afterwards (README.md).
  required_version = ">= 1.6"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100"
    }
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      Project   = "fleetwatch"
      Component = "terraform-state"
      ManagedBy = "terraform (deploy/terraform/bootstrap)"
    }
  }
}
