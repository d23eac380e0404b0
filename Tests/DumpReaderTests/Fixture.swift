import Foundation

/// A small cluster touching every stored kind and every pod secret source,
/// written once as JSON; tests read it as JSON and as YAML (see `yaml(_:)`).
/// A string `"plain:X"` becomes the plain YAML scalar `X` (and `"X"` in JSON).
enum Fixture {
    static var objects: [[String: Any]] {
        try! JSONSerialization.jsonObject(with: Data(objectsJSON.utf8)) as! [[String: Any]]
    }

    static let objectsJSON = #"""
[
  {
    "apiVersion": "v1",
    "kind": "Namespace",
    "metadata": {
      "name": "shop"
    }
  },
  {
    "apiVersion": "v1",
    "kind": "Node",
    "metadata": {
      "name": "node-1",
      "labels": {
        "zone": "a"
      }
    }
  },
  {
    "apiVersion": "v1",
    "kind": "ServiceAccount",
    "metadata": {
      "name": "web-sa",
      "namespace": "shop"
    },
    "automountServiceAccountToken": true,
    "secrets": [
      {
        "name": "web-sa-token"
      }
    ],
    "imagePullSecrets": [
      {
        "name": "pull"
      }
    ]
  },
  {
    "apiVersion": "rbac.authorization.k8s.io/v1",
    "kind": "Role",
    "metadata": {
      "name": "reader",
      "namespace": "shop"
    },
    "rules": [
      {
        "apiGroups": [
          ""
        ],
        "resources": [
          "secrets"
        ],
        "verbs": [
          "get",
          "list"
        ],
        "resourceNames": [
          "a",
          "b"
        ]
      }
    ]
  },
  {
    "apiVersion": "rbac.authorization.k8s.io/v1",
    "kind": "ClusterRole",
    "metadata": {
      "name": "agg",
      "labels": {
        "rbac.example.com/aggregate": "true"
      }
    },
    "rules": [
      {
        "nonResourceURLs": [
          "/healthz"
        ],
        "verbs": [
          "get"
        ]
      }
    ],
    "aggregationRule": {
      "clusterRoleSelectors": [
        {
          "matchLabels": {
            "x": "y"
          }
        },
        {
          "matchExpressions": [
            {
              "key": "tier",
              "operator": "NotIn",
              "values": [
                "db"
              ]
            },
            {
              "key": "k",
              "operator": "Exists"
            }
          ]
        }
      ]
    }
  },
  {
    "apiVersion": "rbac.authorization.k8s.io/v1beta1",
    "kind": "RoleBinding",
    "metadata": {
      "name": "rb",
      "namespace": "shop"
    },
    "roleRef": {
      "apiGroup": "rbac.authorization.k8s.io",
      "kind": "Role",
      "name": "reader"
    },
    "subjects": [
      {
        "kind": "ServiceAccount",
        "name": "web-sa"
      },
      {
        "kind": "User",
        "apiGroup": "rbac.authorization.k8s.io",
        "name": "alice"
      }
    ]
  },
  {
    "apiVersion": "rbac.authorization.k8s.io/v1",
    "kind": "ClusterRoleBinding",
    "metadata": {
      "name": "crb"
    },
    "roleRef": {
      "apiGroup": "rbac.authorization.k8s.io",
      "kind": "ClusterRole",
      "name": "agg"
    }
  },
  {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {
      "name": "web-0",
      "namespace": "shop",
      "uid": "u-1",
      "labels": {
        "app": "web",
        "enabled": "true"
      },
      "ownerReferences": [
        {
          "apiVersion": "apps/v1",
          "kind": "StatefulSet",
          "name": "web",
          "uid": "u-2",
          "controller": true
        }
      ]
    },
    "spec": {
      "serviceAccountName": "web-sa",
      "nodeName": "node-1",
      "automountServiceAccountToken": false,
      "imagePullSecrets": [
        {
          "name": "pull"
        }
      ],
      "containers": [
        {
          "name": "app",
          "image": "example/app:1",
          "env": [
            {
              "name": "A",
              "value": "x"
            },
            {
              "name": "B",
              "valueFrom": {
                "secretKeyRef": {
                  "name": "env-secret",
                  "key": "k"
                }
              }
            },
            {
              "name": "C",
              "valueFrom": {
                "configMapKeyRef": {
                  "name": "cm",
                  "key": "k"
                }
              }
            }
          ],
          "envFrom": [
            {
              "secretRef": {
                "name": "envfrom-secret"
              }
            },
            {
              "configMapRef": {
                "name": "cm"
              }
            }
          ]
        }
      ],
      "initContainers": [
        {
          "name": "init",
          "envFrom": [
            {
              "secretRef": {
                "name": "init-secret"
              }
            }
          ]
        }
      ],
      "ephemeralContainers": [
        {
          "name": "debug",
          "env": [
            {
              "name": "D",
              "valueFrom": {
                "secretKeyRef": {
                  "name": "debug-secret"
                }
              }
            }
          ]
        }
      ],
      "volumes": [
        {
          "name": "v-secret",
          "secret": {
            "secretName": "vol-secret"
          }
        },
        {
          "name": "v-projected",
          "projected": {
            "sources": [
              {
                "secret": {
                  "name": "proj-secret"
                }
              },
              {
                "configMap": {
                  "name": "cm"
                }
              }
            ]
          }
        },
        {
          "name": "v-csi",
          "csi": {
            "driver": "d",
            "nodePublishSecretRef": {
              "name": "csi-secret"
            }
          }
        },
        {
          "name": "v-azure",
          "azureFile": {
            "secretName": "azure-secret",
            "shareName": "s"
          }
        },
        {
          "name": "v-cephfs",
          "cephfs": {
            "monitors": [
              "m"
            ],
            "secretRef": {
              "name": "cephfs-secret"
            }
          }
        },
        {
          "name": "v-cinder",
          "cinder": {
            "volumeID": "i",
            "secretRef": {
              "name": "cinder-secret"
            }
          }
        },
        {
          "name": "v-flex",
          "flexVolume": {
            "driver": "d",
            "secretRef": {
              "name": "flex-secret"
            }
          }
        },
        {
          "name": "v-rbd",
          "rbd": {
            "monitors": [
              "m"
            ],
            "image": "i",
            "secretRef": {
              "name": "rbd-secret"
            }
          }
        },
        {
          "name": "v-scaleio",
          "scaleIO": {
            "gateway": "g",
            "system": "s",
            "secretRef": {
              "name": "scaleio-secret"
            }
          }
        },
        {
          "name": "v-iscsi",
          "iscsi": {
            "targetPortal": "t",
            "iqn": "q",
            "lun": 0,
            "secretRef": {
              "name": "iscsi-secret"
            }
          }
        },
        {
          "name": "v-storageos",
          "storageos": {
            "volumeName": "v",
            "secretRef": {
              "name": "storageos-secret"
            }
          }
        },
        {
          "name": "v-empty",
          "emptyDir": {}
        }
      ]
    }
  },
  {
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": {
      "name": "api",
      "namespace": "shop"
    },
    "spec": {
      "template": {
        "spec": {
          "serviceAccount": "legacy-sa",
          "containers": [
            {
              "name": "c",
              "envFrom": [
                {
                  "secretRef": {
                    "name": "dep-secret"
                  }
                }
              ]
            }
          ]
        }
      }
    }
  },
  {
    "apiVersion": "batch/v1",
    "kind": "CronJob",
    "metadata": {
      "name": "nightly",
      "namespace": "shop"
    },
    "spec": {
      "schedule": "0 0 * * *",
      "jobTemplate": {
        "spec": {
          "template": {
            "spec": {
              "containers": [
                {
                  "name": "c"
                }
              ],
              "volumes": [
                {
                  "name": "v",
                  "secret": {
                    "secretName": "cron-secret"
                  }
                }
              ]
            }
          }
        }
      }
    }
  },
  {
    "apiVersion": "v1",
    "kind": "ReplicationController",
    "metadata": {
      "name": "old",
      "namespace": "shop"
    },
    "spec": {
      "template": {
        "spec": {
          "containers": [
            {
              "name": "c"
            }
          ]
        }
      }
    }
  },
  {
    "apiVersion": "networking.k8s.io/v1",
    "kind": "Ingress",
    "metadata": {
      "name": "web",
      "namespace": "shop"
    },
    "spec": {
      "ingressClassName": "nginx",
      "tls": [
        {
          "hosts": [
            "shop.example.org"
          ],
          "secretName": "shop-tls"
        }
      ],
      "rules": [
        {
          "host": "shop.example.org",
          "http": {
            "paths": [
              {
                "path": "/",
                "pathType": "Prefix",
                "backend": {
                  "service": {
                    "name": "web",
                    "port": {
                      "number": 80
                    }
                  }
                }
              },
              {
                "path": "/api",
                "pathType": "Prefix",
                "backend": {
                  "service": {
                    "name": "api",
                    "port": {
                      "name": "http"
                    }
                  }
                }
              }
            ]
          }
        }
      ]
    }
  },
  {
    "apiVersion": "extensions/v1beta1",
    "kind": "Ingress",
    "metadata": {
      "name": "legacy",
      "namespace": "shop"
    },
    "spec": {
      "backend": {
        "serviceName": "default-web",
        "servicePort": 8080
      },
      "rules": [
        {
          "host": "old.example.org",
          "http": {
            "paths": [
              {
                "path": "/",
                "backend": {
                  "serviceName": "old",
                  "servicePort": "http"
                }
              }
            ]
          }
        }
      ]
    }
  },
  {
    "apiVersion": "gateway.networking.k8s.io/v1",
    "kind": "Gateway",
    "metadata": {
      "name": "gw",
      "namespace": "shop"
    },
    "spec": {
      "gatewayClassName": "istio",
      "listeners": [
        {
          "name": "https",
          "hostname": "shop.example.org",
          "port": 443,
          "protocol": "HTTPS",
          "tls": {
            "certificateRefs": [
              {
                "name": "gw-tls"
              },
              {
                "name": "other-tls",
                "namespace": "certs",
                "kind": "Secret",
                "group": ""
              }
            ]
          }
        },
        {
          "name": "tls-pass",
          "port": 8443,
          "protocol": "TLS",
          "tls": {
            "mode": "Passthrough"
          }
        },
        {
          "name": "http",
          "port": 80,
          "protocol": "HTTP"
        }
      ]
    }
  },
  {
    "apiVersion": "networking.istio.io/v1beta1",
    "kind": "Gateway",
    "metadata": {
      "name": "istio-gw",
      "namespace": "shop"
    },
    "spec": {
      "servers": [
        {
          "port": {
            "number": 443
          },
          "tls": {
            "credentialName": "istio-tls"
          }
        }
      ]
    }
  },
  {
    "apiVersion": "cert-manager.io/v1",
    "kind": "Certificate",
    "metadata": {
      "name": "shop",
      "namespace": "shop"
    },
    "spec": {
      "secretName": "shop-tls",
      "commonName": "shop.example.org",
      "dnsNames": [
        "shop.example.org",
        "www.example.org"
      ],
      "issuerRef": {
        "name": "ca-issuer",
        "kind": "ClusterIssuer"
      },
      "isCA": false
    }
  },
  {
    "apiVersion": "certmanager.k8s.io/v1alpha1",
    "kind": "Certificate",
    "metadata": {
      "name": "old-cert",
      "namespace": "shop"
    },
    "spec": {
      "secretName": "old-tls",
      "issuerRef": {
        "name": "local"
      },
      "isCA": true
    }
  },
  {
    "apiVersion": "cert-manager.io/v1",
    "kind": "ClusterIssuer",
    "metadata": {
      "name": "ca-issuer"
    },
    "spec": {
      "ca": {
        "secretName": "ca-key-pair"
      }
    }
  },
  {
    "apiVersion": "cert-manager.io/v1",
    "kind": "Issuer",
    "metadata": {
      "name": "acme",
      "namespace": "shop"
    },
    "spec": {
      "acme": {
        "server": "https://acme.example.org",
        "privateKeySecretRef": {
          "name": "acme-account"
        },
        "solvers": [
          {
            "dns01": {
              "cloudflare": {
                "apiTokenSecretRef": {
                  "name": "cf-token",
                  "key": "t"
                }
              }
            }
          }
        ]
      }
    }
  },
  {
    "apiVersion": "cert-manager.io/v1",
    "kind": "Issuer",
    "metadata": {
      "name": "vault",
      "namespace": "shop"
    },
    "spec": {
      "vault": {
        "server": "https://vault",
        "path": "pki",
        "auth": {
          "tokenSecretRef": {
            "name": "vault-token",
            "key": "t"
          },
          "appRole": {
            "path": "approle",
            "roleId": "r",
            "secretRef": {
              "name": "vault-approle",
              "key": "s"
            }
          },
          "kubernetes": {
            "role": "r",
            "secretRef": {
              "name": "vault-k8s",
              "key": "token"
            }
          }
        }
      }
    }
  },
  {
    "apiVersion": "cert-manager.io/v1",
    "kind": "Issuer",
    "metadata": {
      "name": "venafi",
      "namespace": "shop"
    },
    "spec": {
      "venafi": {
        "zone": "z",
        "tpp": {
          "url": "https://tpp",
          "credentialsRef": {
            "name": "tpp-creds"
          }
        },
        "cloud": {
          "apiTokenSecretRef": {
            "name": "venafi-cloud",
            "key": "k"
          }
        }
      }
    }
  },
  {
    "apiVersion": "v1",
    "kind": "Secret",
    "metadata": {
      "name": "opaque",
      "namespace": "shop"
    },
    "data": {
      "a": "aGVsbG8="
    }
  },
  {
    "apiVersion": "v1",
    "kind": "ConfigMap",
    "metadata": {
      "name": "cm",
      "namespace": "shop"
    },
    "data": {
      "k": "v"
    }
  }
]
"""#
}
