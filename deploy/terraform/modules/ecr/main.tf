# ECR repositories of the service images: <account>.dkr.ecr.<region>.amazonaws.com/fleetwatch/<service>.
# Tags are immutable (a release tag always means the same image), images are scanned on push (or
# continuously with enhanced scanning), encrypted with a customer key, and expired by lifecycle rules.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition

  repositories = { for service in var.services : service => "${var.repository_prefix}/${service}" }

  pull_actions = [
    "ecr:BatchCheckLayerAvailability",
    "ecr:BatchGetImage",
    "ecr:GetDownloadUrlForLayer",
  ]
  push_actions = [
    "ecr:BatchCheckLayerAvailability",
    "ecr:BatchGetImage",
    "ecr:CompleteLayerUpload",
    "ecr:DescribeImages",
    "ecr:GetDownloadUrlForLayer",
    "ecr:InitiateLayerUpload",
    "ecr:PutImage",
    "ecr:UploadLayerPart",
  ]

  # Lifecycle rules, in priority order. An image that matches the tag rule of a rule is never expired by
  # a later one: release images are only ever expired by count (rule 2), never by age (rule 3).
  lifecycle_policy = jsonencode({
    rules = [
      {
        rulePriority = 1
        description  = "Untagged images: ${var.untagged_expiry_days} days after push"
        selection = {
          tagStatus   = "untagged"
          countType   = "sinceImagePushed"
          countUnit   = "days"
          countNumber = var.untagged_expiry_days
        }
        action = { type = "expire" }
      },
      {
        rulePriority = 2
        description  = "Release images: keep the newest ${var.keep_release_count}"
        selection = {
          tagStatus      = "tagged"
          tagPatternList = var.release_tag_patterns
          countType      = "imageCountMoreThan"
          countNumber    = var.keep_release_count
        }
        action = { type = "expire" }
      },
      {
        rulePriority = 3
        description  = "Other tagged images (CI builds): ${var.other_tag_expiry_days} days after push"
        selection = {
          tagStatus   = "any"
          countType   = "sinceImagePushed"
          countUnit   = "days"
          countNumber = var.other_tag_expiry_days
        }
        action = { type = "expire" }
      },
    ]
  })
}

resource "aws_kms_key" "ecr" {
  description             = "${var.name}: ECR repositories of the service images"
  enable_key_rotation     = true
  deletion_window_in_days = 30

  # ECR creates a grant on the key for each repository, with the permissions of whoever creates it.
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "AccountAdministration"
      Effect    = "Allow"
      Principal = { AWS = "arn:${local.partition}:iam::${local.account_id}:root" }
      Action    = "kms:*"
      Resource  = "*"
    }]
  })

  tags = var.tags
}

resource "aws_kms_alias" "ecr" {
  name          = "alias/${var.name}-ecr"
  target_key_id = aws_kms_key.ecr.key_id
}

resource "aws_ecr_repository" "service" {
  for_each = local.repositories

  name                 = each.value
  image_tag_mutability = "IMMUTABLE"
  force_delete         = false

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = aws_kms_key.ecr.arn
  }

  image_scanning_configuration {
    scan_on_push = true
  }

  tags = merge(var.tags, { "fleetwatch.io/service" = each.key })
}

resource "aws_ecr_lifecycle_policy" "service" {
  for_each = aws_ecr_repository.service

  repository = each.value.name
  policy     = local.lifecycle_policy
}

resource "aws_ecr_repository_policy" "service" {
  for_each = aws_ecr_repository.service

  repository = each.value.name

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(
      [{
        Sid       = "PullFromTheCluster"
        Effect    = "Allow"
        Principal = { AWS = var.pull_principal_arns }
        Action    = local.pull_actions
      }],
      length(var.push_principal_arns) == 0 ? [] : [{
        Sid       = "PushFromCI"
        Effect    = "Allow"
        Principal = { AWS = var.push_principal_arns }
        Action    = local.push_actions
      }],
    )
  })
}

# Enhanced scanning (Amazon Inspector) replaces scan on push for the matching repositories.
resource "aws_ecr_registry_scanning_configuration" "this" {
  count = var.enhanced_scanning ? 1 : 0

  scan_type = "ENHANCED"

  rule {
    scan_frequency = "CONTINUOUS_SCAN"

    repository_filter {
      filter      = "${var.repository_prefix}/*"
      filter_type = "WILDCARD"
    }
  }
}
