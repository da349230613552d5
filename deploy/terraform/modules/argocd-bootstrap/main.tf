# Argo CD on the cluster, configured for what argocd/ relies on, and the two objects
# argocd/README.md applies by hand at bootstrap: the platform AppProject and the root Application.
# From then on Argo CD manages everything under argocd/ from git (the platform project included).

locals {
  # The repository URL as written in argocd/ (one value everywhere; the argocd tests check it).
  repo_url_in_git = "https://github.com/fleetwatch/fleetwatch.git"

  root_app         = yamldecode(replace(file("${var.argocd_dir}/root.yaml"), local.repo_url_in_git, var.repo_url))
  platform_project = yamldecode(replace(file("${var.argocd_dir}/projects/platform.yaml"), local.repo_url_in_git, var.repo_url))

  oidc_config = merge(
    {
      name            = var.oidc.name
      issuer          = var.oidc.issuer
      clientID        = var.oidc.client_id
      requestedScopes = var.oidc.requested_scopes
      # Project roles (charts/tenant's AppProjects) and the RBAC below match on the groups claim.
      requestedIDTokenClaims = { groups = { essential = true } }
    },
    var.oidc.client_secret_ref == null ? { enablePKCEAuthentication = true } : { clientSecret = var.oidc.client_secret_ref },
  )

  # The Application health check Argo CD dropped from its defaults (v1.8): without it the root app's
  # sync waves do not wait for the platform applications to be healthy.
  application_health = <<-LUA
    hs = {}
    hs.status = "Progressing"
    hs.message = ""
    if obj.status ~= nil and obj.status.health ~= nil then
      hs.status = obj.status.health.status
      if obj.status.health.message ~= nil then
        hs.message = obj.status.health.message
      end
    end
    return hs
  LUA

  values = {
    global = {
      domain = var.domain
    }
    configs = {
      # argocd-cmd-params-cm: the ApplicationSets' applicationsSync: create-update needs the policy
      # override.
      params = {
        "applicationsetcontroller.enable.policy.override" = "true"
      }
      cm = merge(
        {
          "admin.enabled" = tostring(var.local_admin_enabled)
          "exec.enabled"  = "false"
          "oidc.config"   = yamlencode(local.oidc_config)
        },
        var.application_health_check ? { "resource.customizations.health.argoproj.io_Application" = local.application_health } : {},
      )
      rbac = {
        "policy.default" = ""
        "policy.csv" = join("\n", concat(
          [for group in var.admin_groups : "g, ${group}, role:admin"],
          [for group in var.readonly_groups : "g, ${group}, role:readonly"],
        ))
        scopes = "[groups]"
      }
    }
    # OIDC straight from the identity provider: no Dex.
    dex = {
      enabled = false
    }
  }
}

resource "helm_release" "argocd" {
  name             = "argocd"
  namespace        = var.namespace
  create_namespace = true
  repository       = var.chart_repository
  chart            = "argo-cd"
  version          = var.chart_version

  values = [
    yamlencode(local.values),
    yamlencode(var.extra_values),
  ]

  wait            = true
  timeout         = 900
  atomic          = true
  cleanup_on_fail = true
}

# The platform project (the root app's project must exist before it syncs) and the root Application,
# both taken from argocd/ with the repository URL and revision set here.
resource "helm_release" "root" {
  name       = "argocd-root"
  namespace  = var.namespace
  repository = var.chart_repository
  chart      = "argocd-apps"
  version    = var.apps_chart_version

  values = [yamlencode({
    projects = {
      (local.platform_project.metadata.name) = merge(local.platform_project.spec, {
        namespace             = var.namespace
        additionalAnnotations = try(local.platform_project.metadata.annotations, {})
      })
    }
    applications = {
      (local.root_app.metadata.name) = merge(local.root_app.spec, {
        namespace = var.namespace
        source    = merge(local.root_app.spec.source, { targetRevision = var.target_revision })
      })
    }
  })]

  wait    = true
  timeout = 300

  depends_on = [helm_release.argocd]
}
